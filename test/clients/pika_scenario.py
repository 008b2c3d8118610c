"""The multi-client scenario through pika (Debian python3-pika): declare, publish with confirms
and every property, consume and ack, get, reject with and without requeue. Exits non-zero with
a message on the first thing that differs. Usage: pika_scenario.py <port>"""
import sys
import pika

port = int(sys.argv[1])
conn = pika.BlockingConnection(pika.ConnectionParameters('127.0.0.1', port, '/', pika.PlainCredentials('guest', 'guest')))
ch = conn.channel()
ch.confirm_delivery()

def check(cond, what):
    if not cond:
        print('FAILED: ' + what, file=sys.stderr)
        sys.exit(1)

q = ch.queue_declare('pika-q', durable=False, auto_delete=False, arguments={'x-custom': 'kept'}).method
check(q.queue == 'pika-q' and q.message_count == 0, 'queue.declare-ok')
ch.exchange_declare('pika-x', 'topic')
ch.queue_bind('pika-q', 'pika-x', 'orders.*')

props = pika.BasicProperties(content_type='application/json', content_encoding='utf-8',
                             headers={'x-int': 42, 'x-str': 'héllo', 'x-nested': {'a': [1, 'two']}},
                             delivery_mode=2, priority=3, correlation_id='c-1', reply_to='r-q',
                             expiration='60000', message_id='m-1', timestamp=1700000000,
                             type='t', user_id='guest', app_id='pika-scenario')
for i in range(5):
    ch.basic_publish('pika-x', 'orders.new', ('msg-%d' % i).encode(), props, mandatory=True)  # confirmed

try:
    ch.basic_publish('pika-x', 'nobody.listens.here', b'lost', props, mandatory=True)
    check(False, 'unroutable mandatory publish must be returned')
except pika.exceptions.UnroutableError:
    pass

method, p, body = ch.basic_get('pika-q', auto_ack=False)
check(body == b'msg-0', 'basic.get body')
check(method.message_count == 4, 'get-ok message count %r' % method.message_count)
check(p.headers == {'x-int': 42, 'x-str': 'héllo', 'x-nested': {'a': [1, 'two']}}, 'headers %r' % p.headers)
for name in ('content_type', 'content_encoding', 'delivery_mode', 'priority', 'correlation_id', 'reply_to',
             'expiration', 'message_id', 'timestamp', 'type', 'user_id', 'app_id'):
    check(getattr(p, name) == getattr(props, name), 'property %s: %r' % (name, getattr(p, name)))
ch.basic_reject(method.delivery_tag, requeue=True)

method, p, body = ch.basic_get('pika-q', auto_ack=False)
check(body == b'msg-0' and method.redelivered, 'requeued message comes back first, redelivered')
ch.basic_reject(method.delivery_tag, requeue=False)

received = []
def on_message(channel, method, properties, body):
    received.append(body)
    channel.basic_ack(method.delivery_tag)
    if len(received) == 4:
        channel.stop_consuming()
ch.basic_qos(prefetch_count=2)
ch.basic_consume('pika-q', on_message)
ch.start_consuming()
check(received == [b'msg-1', b'msg-2', b'msg-3', b'msg-4'], 'consumed %r' % received)

check(ch.queue_declare('pika-q', passive=True).method.message_count == 0, 'queue drained')
ch.queue_delete('pika-q')
ch.exchange_delete('pika-x')
conn.close()
print('pika scenario passed')
