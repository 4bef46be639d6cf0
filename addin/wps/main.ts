// The add-in's hidden page (index.html) that WPS loads with ribbon.xml: the ribbon's callbacks.
// WPS calls them by the names ribbon.xml gives, so they are globals of this classic script.
// Only this file and gateway.ts touch WPS's API.

/** The bits of WPS.AddonRoot (et-jsapi-declare/index.d.ts: CreateTaskPane, CustomTaskpane) used here. */
interface TaskPaneHost {
  CreateTaskPane(url: string, title?: string): { ID: number; Visible: boolean; Width: number };
  GetTaskPane(id: number): { Visible: boolean } | null;
  PluginStorage: { setItem(key: string, value: string | number): void; getItem(key: string): string };
}

const PANE_KEY = 'kaohe.taskpane';
/** Wide enough for the pane's 320 px layout. */
const PANE_WIDTH = 340;

function host(): TaskPaneHost {
  return (window as unknown as { Application: TaskPaneHost }).Application;
}

/** taskpane.html beside this page, whether it came over HTTP (online) or from jsaddons (file://). */
function paneUrl(): string {
  return window.location.href.replace(/[?#].*$/, '').replace(/[^/]*$/, '') + 'taskpane.html';
}

/** Shows the pane, made once per WPS session and remembered across the add-in's pages. */
function showPane(): void {
  const wps = host();
  const id = Number(wps.PluginStorage.getItem(PANE_KEY));
  let existing: { Visible: boolean } | null = null;
  try {
    existing = id ? wps.GetTaskPane(id) : null;
  } catch {
    // The remembered pane is gone (closed with its window): make a new one.
  }
  if (existing) {
    existing.Visible = !existing.Visible;
    return;
  }
  const pane = wps.CreateTaskPane(paneUrl(), '考核填报');
  pane.Width = PANE_WIDTH;
  pane.Visible = true;
  wps.PluginStorage.setItem(PANE_KEY, pane.ID);
}

function OnAddinLoad(): boolean {
  return true;
}

function OnAction(control: { Id: string }): boolean {
  if (control.Id === 'kaoheOpenPane') showPane();
  return true;
}

function GetImage(): string {
  return 'assets/icon-32.png';
}

Object.assign(window, { OnAddinLoad, OnAction, GetImage });
