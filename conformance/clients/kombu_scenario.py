"""The multi-client scenario (scenario.md) through kombu (Debian python3-kombu), Celery's
messaging library. Usage: kombu_scenario.py <host> <port> <queue>"""
import sys
from kombu import Connection, Consumer, Producer, Queue

host, port, queue = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def check(cond, what):
    if not cond:
        print('kombu FAILED: ' + what, file=sys.stderr)
        sys.exit(1)


headers = {'x-str': 's', 'x-int': 42}
with Connection('amqp://guest:guest@%s:%d//' % (host, port), transport_options={'confirm_publish': True}) as conn:
    ch = conn.channel()
    q = Queue(queue, durable=False, auto_delete=False, channel=ch)
    q.declare()
    ok = tuple(ch.queue_declare(queue, passive=True))
    check(ok == (queue, 0, 0), 'declare-ok %r' % (ok,))
    producer = Producer(ch)

    def publish(body):  # waits for the confirm (confirm_publish)
        producer.publish(body, routing_key=queue, exchange='', content_type='application/json',
                         content_encoding='binary', headers=headers, delivery_mode=2, priority=3,
                         correlation_id='c-1', message_id='m-1', retry=False)

    # kombu decodes bodies by content type, so these bodies are JSON strings
    publish(b'"one"')
    received = []

    def on_message(body, message):
        received.append(message)
        message.ack()

    with Consumer(ch, queues=[q], callbacks=[on_message], accept=['application/json']):
        while not received:
            conn.drain_events(timeout=5)
    m = received[0]
    check(m.body == b'"one"' and not m.delivery_info['redelivered'], 'delivered %r %r' % (m.body, m.delivery_info))
    pr = m.properties
    check((m.content_type, pr['correlation_id'], pr['message_id'], pr['delivery_mode'], pr['priority'])
          == ('application/json', 'c-1', 'm-1', 2, 3), 'properties %r' % pr)
    check(m.headers == headers, 'headers %r' % m.headers)

    publish(b'"two"')
    m = q.get(no_ack=False, accept=['application/json'])
    check(m is not None and m.body == b'"two"' and m.delivery_info['message_count'] == 0 and not m.delivery_info['redelivered'],
          'get %r' % ((m and (m.body, m.delivery_info)),))
    m.ack()

    publish(b'"three"')
    m = q.get(no_ack=False, accept=['application/json'])
    check(m is not None and m.body == b'"three"', 'get three')
    m.reject(requeue=False)
    check(ch.queue_declare(queue, passive=True)[1] == 0, 'queue empty after reject')
    q.delete()
print('kombu scenario passed')
