"""The multi-client scenario (scenario.md) through pika (Debian python3-pika).
Usage: pika_scenario.py <host> <port> <queue>"""
import sys
import pika

host, port, queue = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def check(cond, what):
    if not cond:
        print('pika FAILED: ' + what, file=sys.stderr)
        sys.exit(1)


conn = pika.BlockingConnection(pika.ConnectionParameters(host, port, '/', pika.PlainCredentials('guest', 'guest')))
ch = conn.channel()
ch.confirm_delivery()
ok = ch.queue_declare(queue, durable=False, auto_delete=False).method
check(ok.queue == queue and ok.message_count == 0 and ok.consumer_count == 0, 'declare-ok %r' % ok)

headers = {'x-str': 's', 'x-int': 42}
props = pika.BasicProperties(content_type='application/json', correlation_id='c-1', message_id='m-1',
                             headers=headers, delivery_mode=2, priority=3)
ch.basic_publish('', queue, b'one', props, mandatory=True)  # returns once confirmed

received = []


def on_message(channel, method, properties, body):
    received.append((method, properties, body))
    channel.basic_ack(method.delivery_tag)
    channel.stop_consuming()


tag = ch.basic_consume(queue, on_message)
ch.start_consuming()
method, p, body = received[0]
check(body == b'one' and not method.redelivered and method.routing_key == queue, 'delivered %r %r' % (body, method))
check((p.content_type, p.correlation_id, p.message_id, p.delivery_mode, p.priority) == ('application/json', 'c-1', 'm-1', 2, 3),
      'properties %r' % p)
check(p.headers == headers, 'headers %r' % p.headers)
ch.basic_cancel(tag)

ch.basic_publish('', queue, b'two', props)
method, p, body = ch.basic_get(queue, auto_ack=False)
check(body == b'two' and method.message_count == 0 and not method.redelivered, 'get %r %r' % (body, method))
ch.basic_ack(method.delivery_tag)

ch.basic_publish('', queue, b'three', props)
method, p, body = ch.basic_get(queue, auto_ack=False)
check(body == b'three', 'get three %r' % body)
ch.basic_reject(method.delivery_tag, requeue=False)
check(ch.queue_declare(queue, passive=True).method.message_count == 0, 'queue empty after reject')
ch.queue_delete(queue)
conn.close()
print('pika scenario passed')
