package api

// Loggable exposes loggable to the tests.
var Loggable = loggable
