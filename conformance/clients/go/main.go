// The multi-client scenario (../scenario.md) through amqp091-go (Debian
// golang-github-rabbitmq-amqp091-go-dev). Usage: go_scenario <host> <port> <queue>
package main

import (
	"fmt"
	"os"
	"reflect"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

func check(cond bool, format string, args ...interface{}) {
	if !cond {
		fmt.Fprintf(os.Stderr, "amqp091-go FAILED: "+format+"\n", args...)
		os.Exit(1)
	}
}

func must(err error, what string) {
	check(err == nil, "%s: %v", what, err)
}

func main() {
	host, port, queue := os.Args[1], os.Args[2], os.Args[3]
	conn, err := amqp.Dial(fmt.Sprintf("amqp://guest:guest@%s:%s/", host, port))
	must(err, "dial")
	defer conn.Close()
	ch, err := conn.Channel()
	must(err, "channel")
	must(ch.Confirm(false), "confirm.select")
	confirms := ch.NotifyPublish(make(chan amqp.Confirmation, 4))

	q, err := ch.QueueDeclare(queue, false, false, false, false, nil)
	must(err, "queue.declare")
	check(q.Name == queue && q.Messages == 0 && q.Consumers == 0, "declare-ok %+v", q)

	headers := amqp.Table{"x-str": "s", "x-int": int32(42)}
	publish := func(body string) {
		must(ch.Publish("", queue, false, false, amqp.Publishing{
			ContentType: "application/json", CorrelationId: "c-1", MessageId: "m-1", Headers: headers,
			DeliveryMode: amqp.Persistent, Priority: 3, Body: []byte(body),
		}), "publish")
		select {
		case c := <-confirms:
			check(c.Ack, "confirm of %s: nack", body)
		case <-time.After(5 * time.Second):
			check(false, "no confirm for %s", body)
		}
	}
	// RabbitMQ re-types small integers on the way through as the client library reads them
	sameHeaders := func(h amqp.Table) bool {
		return len(h) == 2 && h["x-str"] == "s" && reflect.DeepEqual(fmt.Sprint(h["x-int"]), "42")
	}

	publish("one")
	deliveries, err := ch.Consume(queue, "", false, false, false, false, nil)
	must(err, "consume")
	select {
	case d := <-deliveries:
		check(string(d.Body) == "one" && !d.Redelivered && d.RoutingKey == queue, "delivered %q", d.Body)
		check(d.ContentType == "application/json" && d.CorrelationId == "c-1" && d.MessageId == "m-1" &&
			d.DeliveryMode == 2 && d.Priority == 3, "properties %+v", d)
		check(sameHeaders(d.Headers), "headers %#v", d.Headers)
		must(d.Ack(false), "ack")
		must(ch.Cancel(d.ConsumerTag, false), "cancel")
	case <-time.After(5 * time.Second):
		check(false, "no delivery")
	}

	// credentials rotated on the open connection (an OAuth token refreshed): answered, and the
	// connection and its channel carry on
	must(conn.UpdateSecret("guest", "rotating credentials"), "connection.update-secret")
	// frameworks declare the direct reply-to pseudo-queue passively before consuming from it
	rq, err := ch.QueueDeclarePassive("amq.rabbitmq.reply-to", false, false, false, false, nil)
	must(err, "passive declare of amq.rabbitmq.reply-to")
	check(rq.Name == "amq.rabbitmq.reply-to" && rq.Messages == 0 && rq.Consumers == 1, "reply-to declare-ok %+v", rq)

	publish("two")
	m, ok, err := ch.Get(queue, false)
	must(err, "get")
	check(ok && string(m.Body) == "two" && m.MessageCount == 0 && !m.Redelivered, "get %q %d", m.Body, m.MessageCount)
	must(m.Ack(false), "ack two")

	publish("three")
	m, ok, err = ch.Get(queue, false)
	must(err, "get three")
	check(ok && string(m.Body) == "three", "get three %q", m.Body)
	must(m.Reject(false), "reject")
	q, err = ch.QueueDeclarePassive(queue, false, false, false, false, nil)
	must(err, "passive declare")
	check(q.Messages == 0, "queue empty after reject: %d", q.Messages)
	_, err = ch.QueueDelete(queue, false, false, false)
	must(err, "queue.delete")
	fmt.Println("amqp091-go scenario passed")
}
