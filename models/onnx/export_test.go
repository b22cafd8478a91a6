package onnx

// SetTestHooks sets functions Run calls just before ONNX Runtime runs, and
// after a canceled context told ONNX Runtime to stop.
func SetTestHooks(s *Session, run, terminate func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.testHookRun, s.testHookTerminate = run, terminate
}
