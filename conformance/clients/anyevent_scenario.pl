# The multi-client scenario (scenario.md) through AnyEvent::RabbitMQ on Net::AMQP (Debian
# libanyevent-rabbitmq-perl), with the step this client needs most: a message requeued by
# reject and by a consumer's recover comes back with exactly the headers it was published with
# (Net::AMQP cannot decode every field type, so a header the broker adds can lose a delivery).
# Usage: anyevent_scenario.pl <host> <port> <queue>
use strict;
use warnings;
use AnyEvent;
use AnyEvent::RabbitMQ;

my ($host, $port, $queue) = @ARGV;

sub check {
    my ($cond, $what) = @_;
    return if $cond;
    print STDERR "anyevent FAILED: $what\n";
    exit 1;
}

# Runs one asynchronous step and waits for it (5 s at most).
sub step {
    my ($what, $start) = @_;
    my $cv = AnyEvent->condvar;
    my $timer = AnyEvent->timer(after => 5, cb => sub { $cv->croak("timed out: $what") });
    $start->(sub { $cv->send(@_) }, sub { $cv->croak("$what failed: " . join(' ', map { ref $_ ? ref $_ : $_ } @_)) });
    my @r = eval { $cv->recv };
    check(!$@, $@);
    return wantarray ? @r : $r[0];
}

my $ar = AnyEvent::RabbitMQ->new->load_xml_spec();
step('connect', sub {
    my ($ok, $fail) = @_;
    $ar->connect(host => $host, port => $port, user => 'guest', pass => 'guest', vhost => '/', timeout => 5,
        on_success => $ok, on_failure => $fail, on_read_failure => $fail, on_close => sub {});
});
my $ch = step('channel.open', sub { my ($ok, $fail) = @_; $ar->open_channel(on_success => $ok, on_failure => $fail, on_close => sub {}) });
step('confirm.select', sub { my ($ok, $fail) = @_; $ch->confirm(on_success => $ok, on_failure => $fail) });
my $declared = step('queue.declare', sub {
    my ($ok, $fail) = @_;
    $ch->declare_queue(queue => $queue, durable => 0, auto_delete => 0, on_success => $ok, on_failure => $fail);
});
check($declared->method_frame->message_count == 0 && $declared->method_frame->consumer_count == 0, 'declare-ok counts');

my %headers = ('x-str' => 's', 'x-int' => 42);
sub publish {
    my ($body) = @_;
    step("publish $body", sub {
        my ($ok, $fail) = @_;
        $ch->publish(exchange => '', routing_key => $queue, body => $body,
            header => { content_type => 'application/json', correlation_id => 'c-1', message_id => 'm-1',
                        headers => {%headers}, delivery_mode => 2, priority => 3 },
            on_ack => $ok, on_nack => $fail);
    });
}
sub same_headers {
    my ($h) = @_;
    return ref $h eq 'HASH' && keys %$h == 2 && $h->{'x-str'} eq 's' && $h->{'x-int'} == 42;
}
sub get {
    my ($what) = @_;
    my $frame = step("get $what", sub { my ($ok, $fail) = @_; $ch->get(queue => $queue, no_ack => 0, on_success => $ok, on_failure => $fail) });
    check(!$frame->{empty}, "get $what: empty");
    return $frame;
}

publish('one');
my $delivery = step('consume', sub {
    my ($ok, $fail) = @_;
    $ch->consume(queue => $queue, no_ack => 0, on_consume => $ok, on_failure => $fail);
});
my $deliver = $delivery->{deliver}->method_frame;
my $props = $delivery->{header};
check($delivery->{body}->payload eq 'one' && !$deliver->redelivered && $deliver->routing_key eq $queue, 'delivered one');
check($props->content_type eq 'application/json' && $props->correlation_id eq 'c-1' && $props->message_id eq 'm-1'
    && $props->delivery_mode == 2 && $props->priority == 3, 'properties of one');
check(same_headers($props->headers), 'headers of one');
$ch->ack(delivery_tag => $deliver->delivery_tag);
step('cancel', sub { my ($ok, $fail) = @_; $ch->cancel(consumer_tag => $deliver->consumer_tag, on_success => $ok, on_failure => $fail) });

publish('two');
my $got = get('two');
check($got->{body}->payload eq 'two' && $got->{ok}->method_frame->message_count == 0 && !$got->{ok}->method_frame->redelivered, 'get two');
$ch->ack(delivery_tag => $got->{ok}->method_frame->delivery_tag);

# requeued by reject: it comes back redelivered, with the headers it was published with and no other
publish('four');
$got = get('four');
$ch->reject(delivery_tag => $got->{ok}->method_frame->delivery_tag, requeue => 1);
$got = get('four again');
check($got->{body}->payload eq 'four' && $got->{ok}->method_frame->redelivered, 'four redelivered after reject');
check(same_headers($got->{header}->headers), 'headers of four after reject: '
    . join(',', sort keys %{ $got->{header}->headers // {} }));
$ch->reject(delivery_tag => $got->{ok}->method_frame->delivery_tag, requeue => 1);
$got = get('four a third time');
check($got->{body}->payload eq 'four' && same_headers($got->{header}->headers), 'four after a second reject');
$ch->ack(delivery_tag => $got->{ok}->method_frame->delivery_tag);

publish('three');
$got = get('three');
check($got->{body}->payload eq 'three', 'get three');
$ch->reject(delivery_tag => $got->{ok}->method_frame->delivery_tag, requeue => 0);
my $passive = step('passive declare', sub {
    my ($ok, $fail) = @_;
    $ch->declare_queue(queue => $queue, passive => 1, on_success => $ok, on_failure => $fail);
});
check($passive->method_frame->message_count == 0, 'queue empty after reject');
step('queue.delete', sub { my ($ok, $fail) = @_; $ch->delete_queue(queue => $queue, on_success => $ok, on_failure => $fail) });
step('close', sub { my ($ok, $fail) = @_; $ar->close(on_success => $ok, on_failure => $fail) });
print "anyevent scenario passed\n";
