package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/candorhq/candor/analyzer"
)

// Jobs on Redis: one stream (prefix:jobs) read by a consumer group, whose
// entries name a job; the job itself is a hash in its tenant's namespace
// (state, attempts, progress, payload, report id). An entry is acked and
// deleted once its job is done or dead, so the stream holds only live work.

const group = "workers"

// deadLetterCap bounds the dead-letter list; it is for operators, not an
// archive.
const deadLetterCap = 1000

// Enqueue implements Jobs.
func (r *Redis) Enqueue(ctx context.Context, tenant string, payload []byte) (string, error) {
	id := "job_" + randomHex(12)
	jk := r.k.job(tenant, id)
	now := r.opts.Now().UnixMilli()
	// The hash goes first so that a worker never sees an entry without
	// its job.
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, jk, "tenant", tenant, "state", string(JobQueued), "attempts", 0,
			"created", now, "updated", now, "payload", payload)
		if ret := r.opts.Retention; ret > 0 {
			p.PExpire(ctx, jk, ret)
		}
		return nil
	})
	if err == nil {
		err = r.c.XAdd(ctx, &redis.XAddArgs{Stream: r.k.stream(), Values: []any{"tenant", tenant, "id", id}}).Err()
		if err != nil {
			_ = r.c.Del(context.WithoutCancel(ctx), jk).Err()
		}
	}
	if err != nil {
		return "", r.wrap("enqueue job", err)
	}
	return id, nil
}

// Status implements Jobs.
func (r *Redis) Status(ctx context.Context, tenant, id string) (JobStatus, error) {
	m, err := r.c.HGetAll(ctx, r.k.job(tenant, id)).Result()
	if err != nil {
		return JobStatus{}, r.wrap("job status", err)
	}
	if len(m) == 0 {
		return JobStatus{}, fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	ms := func(s string) time.Time { n, _ := strconv.ParseInt(s, 10, 64); return time.UnixMilli(n).UTC() }
	return JobStatus{
		ID: id, State: JobState(m["state"]), Attempts: atoi(m["attempts"]),
		Done: atoi(m["done"]), Total: atoi(m["total"]), ReportID: m["report_id"], Error: m["error"],
		ResultKind: m["result_kind"], ResultID: m["result_id"],
		CreatedAt: ms(m["created"]), UpdatedAt: ms(m["updated"]),
	}, nil
}

var progressScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'done', ARGV[1], 'total', ARGV[2], 'updated', ARGV[3])
return 1`)

// Progress implements Jobs.
func (r *Redis) Progress(ctx context.Context, tenant, id string, done, total int) error {
	n, err := progressScript.Run(ctx, r.c, []string{r.k.job(tenant, id)}, done, total, r.opts.Now().UnixMilli()).Int()
	if err != nil {
		return r.wrap("job progress", err)
	}
	if n == 0 {
		return fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	return nil
}

// Work implements Jobs.
func (r *Redis) Work(ctx context.Context, consumer string, handle Handler) error {
	w := &worker{q: redisQueue{r}, opts: r.opts, consumer: consumer, handle: handle, afterComplete: r.afterComplete}
	return w.run(ctx)
}

// DeadLetters implements Jobs.
func (r *Redis) DeadLetters(ctx context.Context, n int) ([]DeadLetter, error) {
	if n <= 0 {
		return nil, nil
	}
	vs, err := r.c.LRange(ctx, r.k.deadLetters(), 0, int64(n)-1).Result()
	if err != nil {
		return nil, r.wrap("dead letters", err)
	}
	out := make([]DeadLetter, 0, len(vs))
	for _, v := range vs {
		var dl DeadLetter
		if json.Unmarshal([]byte(v), &dl) == nil {
			out = append(out, dl)
		}
	}
	return out, nil
}

func (r *Redis) purgeDeadLetters(ctx context.Context, tenant string) error {
	vs, err := r.c.LRange(ctx, r.k.deadLetters(), 0, -1).Result()
	if err != nil {
		return r.wrap("purge dead letters", err)
	}
	for _, v := range vs {
		var dl DeadLetter
		if json.Unmarshal([]byte(v), &dl) == nil && dl.Tenant == tenant {
			if err := r.c.LRem(ctx, r.k.deadLetters(), 0, v).Err(); err != nil {
				return r.wrap("purge dead letters", err)
			}
		}
	}
	return nil
}

// redisQueue is the worker's view of the stream.
type redisQueue struct{ r *Redis }

func (q redisQueue) ensureGroup(ctx context.Context) error {
	err := q.r.c.XGroupCreateMkStream(ctx, q.r.k.stream(), group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return q.r.wrap("create consumer group", err)
	}
	return nil
}

// groupErr recreates the group when Redis lost it (a restart without
// persistence); nothing remembers that the group once existed.
func (q redisQueue) groupErr(ctx context.Context, err error) error {
	if err != nil && strings.HasPrefix(err.Error(), "NOGROUP") {
		return q.ensureGroup(ctx)
	}
	return q.r.wrap("read jobs", err)
}

func deliveries(msgs []redis.XMessage) []delivery {
	out := make([]delivery, 0, len(msgs))
	for _, m := range msgs {
		t, _ := m.Values["tenant"].(string)
		id, _ := m.Values["id"].(string)
		out = append(out, delivery{msgID: m.ID, tenant: t, id: id})
	}
	return out
}

func (q redisQueue) reclaim(ctx context.Context, consumer string) ([]delivery, error) {
	msgs, _, err := q.r.c.XAutoClaim(ctx, &redis.XAutoClaimArgs{
		Stream: q.r.k.stream(), Group: group, Consumer: consumer,
		MinIdle: q.r.opts.JobIdle, Start: "0-0", Count: 10,
	}).Result()
	if err != nil {
		return nil, q.groupErr(ctx, err)
	}
	return deliveries(msgs), nil
}

func (q redisQueue) next(ctx context.Context, consumer string) ([]delivery, error) {
	ss, err := q.r.c.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: group, Consumer: consumer, Streams: []string{q.r.k.stream(), ">"},
		Count: 1, Block: q.r.opts.Poll,
	}).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, q.groupErr(ctx, err)
	}
	var out []delivery
	for _, s := range ss {
		out = append(out, deliveries(s.Messages)...)
	}
	return out, nil
}

// beginScript counts a run; it returns {-1} for a missing job, {0} for a
// finished one, else {attempts, payload}.
var beginScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local st = redis.call('HGET', KEYS[1], 'state')
if st == 'done' or st == 'failed' then return {0} end
local n = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'state', 'running', 'updated', ARGV[1])
return {n, redis.call('HGET', KEYS[1], 'payload') or ''}`)

func (q redisQueue) begin(ctx context.Context, d delivery) (Job, bool, error) {
	if d.id == "" {
		return Job{}, false, nil
	}
	v, err := beginScript.Run(ctx, q.r.c, []string{q.r.k.job(d.tenant, d.id)}, q.r.opts.Now().UnixMilli()).Slice()
	if err != nil {
		return Job{}, false, q.r.wrap("begin job", err)
	}
	n, _ := v[0].(int64)
	if n <= 0 {
		return Job{}, false, nil
	}
	payload, _ := v[1].(string)
	return Job{ID: d.id, Tenant: d.tenant, Payload: []byte(payload), Attempt: int(n)}, true, nil
}

func (q redisQueue) heartbeat(ctx context.Context, d delivery, consumer string) error {
	// Claiming our own entry resets its idle time.
	return q.r.c.XClaimJustID(ctx, &redis.XClaimArgs{
		Stream: q.r.k.stream(), Group: group, Consumer: consumer, Messages: []string{d.msgID},
	}).Err()
}

// completeScript stores a job's report once: a job that already has a
// report (its earlier run stored it, then its worker died before acking)
// keeps it. KEYS: job, report, index. ARGV: report id, created ms,
// retention ms, now ms, then the report's fields as name/value pairs.
var completeScript = redis.NewScript(`
if redis.call('HEXISTS', KEYS[1], 'report_id') == 1 or redis.call('HEXISTS', KEYS[1], 'result_id') == 1 then return 0 end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], unpack(ARGV, 5))
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
if tonumber(ARGV[3]) > 0 then
	redis.call('PEXPIRE', KEYS[2], ARGV[3])
	redis.call('PEXPIRE', KEYS[3], ARGV[3])
end
redis.call('HSET', KEYS[1], 'state', 'done', 'report_id', ARGV[1], 'updated', ARGV[4])
redis.call('HDEL', KEYS[1], 'payload', 'error')
return 1`)

func (q redisQueue) complete(ctx context.Context, d delivery, rep *analyzer.Report, raw []byte, analyses []string) error {
	args := []any{rep.ID, rep.CreatedAt.UnixMilli(), q.r.opts.Retention.Milliseconds(), q.r.opts.Now().UnixMilli()}
	for k, v := range reportFields(rep, raw, analyses, d.id) {
		args = append(args, k, v)
	}
	keys := []string{q.r.k.job(d.tenant, d.id), q.r.k.report(d.tenant, rep.ID), q.r.k.reportIndex(d.tenant)}
	return q.r.wrap("complete job", completeScript.Run(ctx, q.r.c, keys, args...).Err())
}

func (q redisQueue) fail(ctx context.Context, d delivery, job Job, reason string, final bool) error {
	jk := q.r.k.job(d.tenant, d.id)
	now := q.r.opts.Now()
	if !final {
		err := q.r.c.HSet(ctx, jk, "state", string(JobQueued), "error", reason, "updated", now.UnixMilli()).Err()
		if err == nil {
			// A new entry for the retry, then the old one goes: a death
			// in between runs the job twice, which complete makes harmless.
			err = q.r.c.XAdd(ctx, &redis.XAddArgs{Stream: q.r.k.stream(), Values: []any{"tenant", d.tenant, "id", d.id}}).Err()
		}
		if err != nil {
			return q.r.wrap("requeue job", err)
		}
		return q.ack(ctx, d)
	}
	dl, _ := json.Marshal(DeadLetter{ID: d.id, Tenant: d.tenant, Reason: reason, Attempts: job.Attempt, FailedAt: now.UTC()})
	// The dead letter goes first: whoever sees the job failed finds it.
	_, err := q.r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.LPush(ctx, q.r.k.deadLetters(), dl)
		p.LTrim(ctx, q.r.k.deadLetters(), 0, deadLetterCap-1)
		return nil
	})
	if err == nil {
		_, err = q.r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.HSet(ctx, jk, "state", string(JobFailed), "error", reason, "updated", now.UnixMilli())
			p.HDel(ctx, jk, "payload")
			return nil
		})
	}
	if err != nil {
		return q.r.wrap("dead-letter job", err)
	}
	return q.ack(ctx, d)
}

func (q redisQueue) ack(ctx context.Context, d delivery) error {
	_, err := q.r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAck(ctx, q.r.k.stream(), group, d.msgID)
		p.XDel(ctx, q.r.k.stream(), d.msgID)
		return nil
	})
	return q.r.wrap("ack job", err)
}
