package store

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
