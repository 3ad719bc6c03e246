// What the background writes to the console, with no secret in it.
import { loadSettings } from '../shared/storage.js';

// Secrets never reach the console: every one the settings hold is blanked
// out of a message before it is logged. A failure the person was told about
// in a sentence is information for a bug report, not an error of the
// extension; only what Visen did not expect is logged as an error.
export async function logCause(what, cause, unexpected = false) {
  if (!cause) return;
  let text = String(cause);
  try {
    const s = await loadSettings();
    for (const secret of [s.notionSecret, s.apiKey]) {
      if (secret && secret.length >= 4) text = text.split(secret).join('[secret]');
    }
  } catch {
    text = '(the cause could not be checked for secrets)';
  }
  (unexpected ? console.error : console.info)(`Visen: ${what}: ${text}`);
}

