# The multi-client scenario (scenario.md) through Bunny (Debian ruby-bunny).
# Usage: bunny_scenario.rb <host> <port> <queue>
require 'bunny'
require 'timeout'

host, port, queue = ARGV[0], ARGV[1].to_i, ARGV[2]

def check(cond, what)
  return if cond
  warn "bunny FAILED: #{what}"
  exit 1
end

conn = Bunny.new(host: host, port: port, user: 'guest', pass: 'guest', logger: Logger.new(nil))
conn.start
ch = conn.create_channel
ch.confirm_select
q = ch.queue(queue, durable: false, auto_delete: false)
check(q.message_count.zero? && q.consumer_count.zero?, 'declared queue counts')

headers = { 'x-str' => 's', 'x-int' => 42 }
publish = lambda do |body|
  ch.default_exchange.publish(body, routing_key: queue, content_type: 'application/json', correlation_id: 'c-1',
                                    message_id: 'm-1', headers: headers, persistent: true, priority: 3)
  check(ch.wait_for_confirms, "confirm of #{body}")
end

publish.call('one')
inbox = Queue.new
consumer = q.subscribe(manual_ack: true) { |info, props, body| inbox << [info, props, body] }
info, props, body = Timeout.timeout(5) { inbox.pop }
check(body == 'one' && !info.redelivered && info.routing_key == queue, "delivered #{body.inspect}")
check([props.content_type, props.correlation_id, props.message_id, props.delivery_mode, props.priority] ==
      ['application/json', 'c-1', 'm-1', 2, 3], "properties #{props.inspect}")
check(props.headers == headers, "headers #{props.headers.inspect}")
ch.ack(info.delivery_tag)
consumer.cancel

publish.call('two')
info, _props, body = q.pop(manual_ack: true)
# Bunny keeps get-ok's message-count on the method it wraps
check(body == 'two' && info.instance_variable_get(:@get_ok).message_count.zero? && !info.redelivered, "get #{body.inspect}")
ch.ack(info.delivery_tag)

publish.call('three')
info, _props, body = q.pop(manual_ack: true)
check(body == 'three', "get three #{body.inspect}")
ch.reject(info.delivery_tag, false)
check(ch.queue(queue, passive: true).message_count.zero?, 'queue empty after reject')
q.delete
conn.close
puts 'bunny scenario passed'
