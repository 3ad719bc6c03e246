// A stand-in for the extension API, for tests. It is installed as
// globalThis.chrome when this module loads, so a test imports it before any
// module that reads `ext`. storage.local keeps its items in memory and, as
// the browser's does, copies them in and out; `faults` makes it slow or
// refuse writes. runtime answers as Visen's own.
// (Files named *.fake.js are left out of the packages, as tests are.)

/** The items storage.local holds, by key. */
export const area = new Map();

/**
 * What goes wrong in storage.local: `pause` (a function returning a
 * promise) is awaited before each read and write, as a busy browser makes
 * them wait; a `refuse` message makes every write throw it.
 */
export const faults = { pause: null, refuse: null };

/** The extension's id. */
export const EXTENSION_ID = 'visen-id';

/** The fake API; a test adds what else it needs (declarativeNetRequest…). */
export const fakeExt = {
  runtime: {
    id: EXTENSION_ID,
    getPlatformInfo: async () => ({ os: 'linux' }),
    getURL: (p) => `chrome-extension://${EXTENSION_ID}/${p}`,
  },
  storage: {
    local: {
      async get(key) {
        await faults.pause?.();
        if (key === null) return structuredClone(Object.fromEntries(area));
        return area.has(key) ? { [key]: structuredClone(area.get(key)) } : {};
      },
      async set(items) {
        if (faults.refuse) throw new Error(faults.refuse);
        const copy = structuredClone(items);
        await faults.pause?.();
        for (const [k, v] of Object.entries(copy)) area.set(k, v);
      },
      async remove(keys) {
        await faults.pause?.();
        for (const k of [].concat(keys)) area.delete(k);
      },
      async clear() {
        await faults.pause?.();
        area.clear();
      },
    },
  },
};

globalThis.chrome = fakeExt;

/** Empties storage and takes every fault away. */
export function resetExt() {
  area.clear();
  faults.pause = null;
  faults.refuse = null;
}
