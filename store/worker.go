package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/candorhq/candor/analyzer"
)

// delivery is one delivery of a job to a worker.
type delivery struct {
	msgID  string // the queue's id of this delivery
	tenant string
	id     string
}

// queue is what the shared worker loop needs from a backend. Keeping the
// loop in one place makes both implementations retry, reclaim and
// dead-letter alike.
type queue interface {
	// reclaim takes over deliveries idle for longer than JobIdle.
	reclaim(ctx context.Context, consumer string) ([]delivery, error)
	// next waits up to Poll for a new delivery.
	next(ctx context.Context, consumer string) ([]delivery, error)
	// begin counts a run and marks the job running; run is false when
	// the job is finished or gone, and the delivery only needs acking.
	begin(ctx context.Context, d delivery) (job Job, run bool, err error)
	// heartbeat tells the queue the delivery is still being worked on.
	heartbeat(ctx context.Context, d delivery, consumer string) error
	// complete stores the job's report unless the job already has one,
	// and marks the job done, as one atomic step.
	complete(ctx context.Context, d delivery, rep *analyzer.Report, raw []byte, analyses []string) error
	// completeResult is complete for a result (JobResult.Kind set).
	completeResult(ctx context.Context, d delivery, info ResultInfo, raw []byte) error
	// fail records reason and queues the job again, or, when final, marks
	// it failed and adds it to the dead letters.
	fail(ctx context.Context, d delivery, job Job, reason string, final bool) error
	// ack removes the delivery from the queue.
	ack(ctx context.Context, d delivery) error
}

type worker struct {
	q        queue
	opts     Options
	consumer string
	handle   Handler
	// afterComplete is a test hook (see Redis.afterComplete).
	afterComplete func()
}

func (w *worker) run(ctx context.Context) error {
	backoff := 50 * time.Millisecond
	for ctx.Err() == nil {
		ds, err := w.q.reclaim(ctx, w.consumer)
		if err == nil && len(ds) == 0 {
			ds, err = w.q.next(ctx, w.consumer)
		}
		if err != nil {
			if errors.Is(err, redis.ErrClosed) {
				return fmt.Errorf("work: %w", err)
			}
			// Redis is down or restarting: wait and try again; the
			// client reconnects by itself.
			wait(ctx, backoff)
			backoff = min(2*backoff, 2*time.Second)
			continue
		}
		backoff = 50 * time.Millisecond
		for _, d := range ds {
			if err := w.one(ctx, d); errors.Is(err, redis.ErrClosed) {
				return fmt.Errorf("work: %w", err)
			}
		}
	}
	return nil
}

// one runs a delivery. An error leaves the delivery pending, to be
// reclaimed after JobIdle.
func (w *worker) one(ctx context.Context, d delivery) error {
	job, run, err := w.q.begin(ctx, d)
	if err != nil {
		return err
	}
	// Finishing steps run even when ctx is done: the work is done and
	// must not be lost to a shutdown.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if !run {
		return w.q.ack(fctx, d)
	}
	if job.Attempt > w.opts.MaxAttempts {
		// Workers died on it every time: a poison job.
		reason := fmt.Sprintf("abandoned by a worker %d times", job.Attempt-1)
		return w.q.fail(fctx, d, job, reason, true)
	}

	hctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(w.opts.JobIdle / 3)
		defer t.Stop()
		for {
			select {
			case <-hctx.Done():
				return
			case <-t.C:
				_ = w.q.heartbeat(hctx, d, w.consumer)
			}
		}
	}()
	res, herr := w.handle(hctx, job)
	stop()
	wg.Wait()

	if herr != nil && ctx.Err() != nil {
		// Shutting down (or killed): leave the job pending for another
		// worker, and do not count it as a failure.
		return ctx.Err()
	}
	if herr == nil && res.Kind != "" {
		info := res.Info
		info.Kind = res.Kind
		if err := prepareResult(&info, w.opts.Now()); err != nil {
			herr = fmt.Errorf("%w: %w", ErrPermanent, err)
		} else {
			if err := w.q.completeResult(fctx, d, info, res.Result); err != nil {
				return err
			}
			if w.afterComplete != nil {
				w.afterComplete()
			}
			return w.q.ack(fctx, d)
		}
	}
	if herr == nil {
		var rep analyzer.Report
		if err := json.Unmarshal(res.Report, &rep); err != nil || rep.ID == "" {
			herr = fmt.Errorf("%w: the handler's report is not a report with an id", ErrPermanent)
		} else {
			rep.Tenant = job.Tenant
			raw, err := prepareReport(&rep, res.Analyses, w.opts.Now())
			if err != nil {
				herr = fmt.Errorf("%w: %w", ErrPermanent, err)
			} else {
				if err := w.q.complete(fctx, d, &rep, raw, res.Analyses); err != nil {
					return err
				}
				if w.afterComplete != nil {
					w.afterComplete()
				}
				return w.q.ack(fctx, d)
			}
		}
	}
	final := errors.Is(herr, ErrPermanent) || job.Attempt >= w.opts.MaxAttempts
	return w.q.fail(fctx, d, job, herr.Error(), final)
}

// wait waits for d or until ctx is done.
func wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
