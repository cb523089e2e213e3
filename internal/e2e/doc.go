// Package e2e holds the browser journeys: real headless Chromium (Debian's
// /usr/bin/chromium, or GIAOBAN_CHROMIUM) driving the real server on the
// demo scenario. In CI a missing Chromium fails the run; locally the tests
// skip with a message.
package e2e
