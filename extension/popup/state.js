// What the home view knows at a time, shared by its parts: the saved
// settings, the tab in front and what it holds, and the job on screen.
// Each part reads it; only the part named beside a field changes it.

export const state = {
  /** The saved settings (popup.js, on open and after Settings). */
  settings: null,
  /** The page or database in the tab, or null when there is none (target.js). */
  target: null,
  /** The tab in front, for reading its cursor and selection (target.js). */
  tabId: null,
  /** What Notion refused in the saved settings, for Settings to show (target.js). */
  settingsProblems: null,
  /** The job shown in the job view (job.js). */
  shownJob: null,
};
