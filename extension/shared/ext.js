// The WebExtension API object: `browser` in Firefox, `chrome` in Chrome. In
// Manifest V3 both return promises, so callers can await either.

/** The browser's extension API namespace. */
export const ext = globalThis.browser ?? globalThis.chrome;
