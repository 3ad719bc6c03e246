// Drafts: what the person typed for a page or database and has not yet
// generated, kept in storage.local on every keystroke so closing the popup
// loses nothing. One key per page or database.

import { ext } from './ext.js';

const key = (targetId) => `draft:${targetId}`;
// The popup's own copy, so each keystroke writes without reading first.
const cache = new Map();

/** The draft for a page or database: an object of named fields. */
export async function loadDraft(targetId) {
  const got = await ext.storage.local.get(key(targetId));
  const draft = got[key(targetId)];
  cache.set(targetId, draft && typeof draft === 'object' ? draft : {});
  return { ...cache.get(targetId) };
}

/** Changes some fields of a draft and stores it whole. */
export function saveDraft(targetId, fields) {
  const draft = { ...(cache.get(targetId) ?? {}), ...fields };
  cache.set(targetId, draft);
  return ext.storage.local.set({ [key(targetId)]: draft });
}
