package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/candorhq/candor/analyzer"
)

// Enqueue implements Jobs.
func (m *Memory) Enqueue(_ context.Context, tenant string, payload []byte) (string, error) {
	id := "job_" + randomHex(12)
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.opts.Now().UTC()
	m.jobs[m.k.job(tenant, id)] = &memJob{
		tenant:  tenant,
		status:  JobStatus{ID: id, State: JobQueued, CreatedAt: now, UpdatedAt: now},
		payload: slices.Clone(payload),
		expires: m.expiry(m.opts.Retention),
	}
	m.push(tenant, id)
	return id, nil
}

// push queues a delivery and wakes waiting workers. m.mu is held.
func (m *Memory) push(tenant, id string) {
	m.seq++
	m.queue = append(m.queue, &memDelivery{d: delivery{msgID: strconv.Itoa(m.seq), tenant: tenant, id: id}})
	close(m.notify)
	m.notify = make(chan struct{})
}

func (m *Memory) job(tenant, id string) (*memJob, bool) {
	k := m.k.job(tenant, id)
	j, ok := m.jobs[k]
	if ok && expired(j.expires, m.opts.Now()) {
		delete(m.jobs, k)
		return nil, false
	}
	return j, ok
}

// Status implements Jobs.
func (m *Memory) Status(_ context.Context, tenant, id string) (JobStatus, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.job(tenant, id)
	if !ok {
		return JobStatus{}, fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	return j.status, nil
}

// Progress implements Jobs.
func (m *Memory) Progress(_ context.Context, tenant, id string, done, total int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.job(tenant, id)
	if !ok {
		return fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	j.status.Done, j.status.Total, j.status.UpdatedAt = done, total, m.opts.Now().UTC()
	return nil
}

// Work implements Jobs.
func (m *Memory) Work(ctx context.Context, consumer string, handle Handler) error {
	w := &worker{q: memQueue{m}, opts: m.opts, consumer: consumer, handle: handle, afterComplete: m.afterComplete}
	return w.run(ctx)
}

// DeadLetters implements Jobs.
func (m *Memory) DeadLetters(_ context.Context, n int) ([]DeadLetter, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.dead[:min(n, len(m.dead))]), nil
}

// memQueue is the worker's view of the memory queue.
type memQueue struct{ m *Memory }

func (q memQueue) reclaim(_ context.Context, consumer string) ([]delivery, error) {
	m := q.m
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.opts.Now()
	var out []delivery
	for _, md := range m.queue {
		if md.consumer != "" && now.Sub(md.seen) >= m.opts.JobIdle {
			md.consumer, md.seen = consumer, now
			out = append(out, md.d)
		}
	}
	return out, nil
}

func (q memQueue) next(ctx context.Context, consumer string) ([]delivery, error) {
	m := q.m
	t := time.NewTimer(m.opts.Poll)
	defer t.Stop()
	for {
		m.mu.Lock()
		for _, md := range m.queue {
			if md.consumer == "" {
				md.consumer, md.seen = consumer, m.opts.Now()
				m.mu.Unlock()
				return []delivery{md.d}, nil
			}
		}
		wake := m.notify
		m.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, nil
		case <-t.C:
			return nil, nil
		case <-wake:
		}
	}
}

func (q memQueue) begin(_ context.Context, d delivery) (Job, bool, error) {
	m := q.m
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.job(d.tenant, d.id)
	if !ok || j.status.State == JobDone || j.status.State == JobFailed {
		return Job{}, false, nil
	}
	j.status.Attempts++
	j.status.State, j.status.UpdatedAt = JobRunning, m.opts.Now().UTC()
	return Job{ID: d.id, Tenant: d.tenant, Payload: slices.Clone(j.payload), Attempt: j.status.Attempts}, true, nil
}

func (q memQueue) heartbeat(_ context.Context, d delivery, consumer string) error {
	m := q.m
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, md := range m.queue {
		if md.d.msgID == d.msgID {
			md.consumer, md.seen = consumer, m.opts.Now()
		}
	}
	return nil
}

func (q memQueue) complete(_ context.Context, d delivery, rep *analyzer.Report, raw []byte, analyses []string) error {
	m := q.m
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.job(d.tenant, d.id)
	if !ok || j.status.ReportID != "" {
		// Gone (purged) or stored by an earlier run: nothing to add.
		return nil
	}
	m.putReport(rep, raw, analyses)
	j.status.State, j.status.ReportID, j.status.Error = JobDone, rep.ID, ""
	j.status.UpdatedAt = m.opts.Now().UTC()
	j.payload = nil
	return nil
}

func (q memQueue) fail(ctx context.Context, d delivery, job Job, reason string, final bool) error {
	m := q.m
	m.mu.Lock()
	now := m.opts.Now().UTC()
	if j, ok := m.job(d.tenant, d.id); ok {
		j.status.Error, j.status.UpdatedAt = reason, now
		if final {
			j.status.State, j.payload = JobFailed, nil
		} else {
			j.status.State = JobQueued
			m.push(d.tenant, d.id)
		}
	}
	if final {
		m.dead = append([]DeadLetter{{ID: d.id, Tenant: d.tenant, Reason: reason, Attempts: job.Attempt, FailedAt: now}}, m.dead...)
		m.dead = m.dead[:min(len(m.dead), deadLetterCap)]
	}
	m.mu.Unlock()
	return q.ack(ctx, d)
}

func (q memQueue) ack(_ context.Context, d delivery) error {
	m := q.m
	m.mu.Lock()
	defer m.mu.Unlock()
	m.queue = slices.DeleteFunc(m.queue, func(md *memDelivery) bool { return md.d.msgID == d.msgID })
	return nil
}
