package store

import "context"

// SetAfterComplete installs a hook that runs between storing a job's
// report and acknowledging the job, where a worker's death leaves a stored
// report behind a pending job.
func SetAfterComplete(s Store, f func()) {
	switch s := s.(type) {
	case *Redis:
		s.afterComplete = f
	case *Memory:
		s.afterComplete = f
	}
}

// Pending counts job deliveries not yet acknowledged (-1 on error).
func Pending(s Store) int {
	switch s := s.(type) {
	case *Redis:
		n, err := s.c.XLen(context.Background(), s.k.stream()).Result()
		if err != nil {
			return -1
		}
		return int(n) // acked entries are deleted
	case *Memory:
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.queue)
	}
	return -1
}
