import type {Catalog} from '../catalog/types.js';
import {openHistory} from '../history/open.js';
import type {HistoryStore} from '../history/store.js';
import {historyView, type HistoryView, type ViewOptions} from '../history/view.js';
import {maskDeep, type Mask} from '../mask/masker.js';
import {catalogSecrets} from '../catalog/secrets.js';
import {createMasker} from '../mask/masker.js';
import {selectServices} from '../catalog/lookup.js';
import {usageError} from '../errors/foggy-error.js';
import {targetHider} from '../history/targets.js';
import type {AppContext} from './context.js';

export interface HistoryRequest {
  services?: string[];
  /** One period instead of the standard windows (24h, 7d, 30d, 90d). */
  period?: {from: number; to: number};
  configPath?: string;
}

/** The catalog's page settings: whether check targets are shown, in which time zone days are. */
export interface PageSettings {
  showTargets: boolean;
  timeZone: string;
  title?: string;
}

/**
 * The history as every view shows it (uptime, the status page and its API, the badges, the static export): one
 * store kept open while the reader lives, the catalog's services, and the masker over everything it returns.
 */
export class HistoryReader {
  private store?: Promise<HistoryStore>;
  private loaded?: Promise<{catalog: Catalog; mask: Mask}>;

  constructor(
    private readonly app: AppContext,
    private readonly configPath?: string,
  ) {}

  private async catalog(): Promise<{catalog: Catalog; mask: Mask}> {
    this.loaded ??= this.app.catalog(this.configPath).then((catalog) => {
      const secrets = createMasker({env: this.app.env, patterns: catalog.redact, values: catalogSecrets(catalog)});
      // Targets are shown only when the catalog says so; secrets never.
      const hide = catalog.page.showTargets ? (text: string) => text : targetHider(catalog);
      return {catalog, mask: (text: string) => secrets(hide(text))};
    });
    return this.loaded;
  }

  async services(): Promise<string[]> {
    const {catalog} = await this.catalog();
    return [...catalog.services.keys()];
  }

  async page(): Promise<PageSettings> {
    const {catalog} = await this.catalog();
    return catalog.page;
  }

  async view(request: Omit<HistoryRequest, 'configPath'> = {}, options: Pick<ViewOptions, 'days' | 'runs'> = {}): Promise<HistoryView> {
    const {catalog, mask} = await this.catalog();
    if (request.services && request.services.length > 0) selectServices(catalog, request.services);
    if (request.period && !(request.period.from < request.period.to)) throw usageError(`The period is empty: it starts ${new Date(request.period.from).toISOString()} and ends ${new Date(request.period.to).toISOString()}.`, 'Give a start before its end.');
    this.store ??= openHistory(this.app.env, catalog);
    const store = await this.store;
    const view = await historyView(store, catalog, this.app.now().getTime(), {...options, services: request.services, period: request.period, showTargets: catalog.page.showTargets, timeZone: catalog.page.timeZone});
    // What is shown never holds a secret: the check details and incident summaries were masked when recorded; again
    // here, with the check targets hidden unless page.show_targets.
    // The same text recurs across services (days, hours): each distinct string is masked once per view.
    const masked = new Map<string, string>();
    return maskDeep(view, (text) => {
      let shown = masked.get(text);
      if (shown === undefined) masked.set(text, (shown = mask(text)));
      return shown;
    });
  }

  async close(): Promise<void> {
    const store = await this.store?.catch(() => undefined);
    this.store = undefined;
    await store?.close();
  }
}

/** `foggy uptime`: the history's figures for the services, over the standard windows or one period. */
export async function uptime(app: AppContext, request: HistoryRequest): Promise<HistoryView> {
  const reader = new HistoryReader(app, request.configPath);
  try {
    return await reader.view(request);
  } finally {
    await reader.close();
  }
}
