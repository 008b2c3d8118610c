"""The multi-client scenario (scenario.md) through py-amqp (Debian python3-amqp), the
transport under Celery and kombu. Usage: py_amqp_scenario.py <host> <port> <queue>"""
import sys
import amqp

host, port, queue = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def check(cond, what):
    if not cond:
        print('py-amqp FAILED: ' + what, file=sys.stderr)
        sys.exit(1)


conn = amqp.Connection(host='%s:%d' % (host, port), userid='guest', password='guest', confirm_publish=True)
conn.connect()
ch = conn.channel()
name, count, consumers = ch.queue_declare(queue, durable=False, auto_delete=False)
check((name, count, consumers) == (queue, 0, 0), 'declare-ok %r' % ((name, count, consumers),))

headers = {'x-str': 's', 'x-int': 42}


def message(body):
    return amqp.Message(body, content_type='application/json', correlation_id='c-1', message_id='m-1',
                        application_headers=headers, delivery_mode=2, priority=3)


ch.basic_publish(message(b'one'), exchange='', routing_key=queue)  # waits for the confirm

received = []
tag = ch.basic_consume(queue, callback=received.append)
while not received:
    conn.drain_events(timeout=5)
m = received[0]
check(m.body == b'one' and not m.delivery_info['redelivered'], 'delivered %r %r' % (m.body, m.delivery_info))
pr = m.properties
check((pr['content_type'], pr['correlation_id'], pr['message_id'], pr['delivery_mode'], pr['priority'])
      == ('application/json', 'c-1', 'm-1', 2, 3), 'properties %r' % pr)
check(pr['application_headers'] == headers, 'headers %r' % pr['application_headers'])
ch.basic_ack(m.delivery_tag)
ch.basic_cancel(tag)

ch.basic_publish(message(b'two'), exchange='', routing_key=queue)
m = ch.basic_get(queue, no_ack=False)
check(m.body == b'two' and m.delivery_info['message_count'] == 0 and not m.delivery_info['redelivered'],
      'get %r %r' % (m.body, m.delivery_info))
ch.basic_ack(m.delivery_tag)

ch.basic_publish(message(b'three'), exchange='', routing_key=queue)
m = ch.basic_get(queue, no_ack=False)
check(m.body == b'three', 'get three %r' % m.body)
ch.basic_reject(m.delivery_tag, requeue=False)
check(ch.queue_declare(queue, passive=True)[1] == 0, 'queue empty after reject')
ch.queue_delete(queue)
conn.close()
print('py-amqp scenario passed')
