import {complete, type CompletableCommand} from '../cli/completion.js';
import {FoggyCommand} from '../cli/foggy-command.js';
import {loadCatalog} from '../core/catalog/load.js';
import {locateCatalog} from '../core/catalog/locate.js';

/** What the completion scripts call: one candidate per line for the word being typed. Never fails loudly. */
export default class CompleteWords extends FoggyCommand {
  static override hidden = true;
  static override strict = false;
  static override summary = 'Completion candidates for the words typed (used by the completion scripts).';

  async run(): Promise<void> {
    const words = this.argv;
    let names: string[] = [];
    const services = () => names;
    const {env} = this.factory;
    try {
      names = [...(await loadCatalog(locateCatalog({env, cwd: this.factory.cwd()}), env)).services.keys()];
    } catch {
      // No catalog here: commands and flags still complete.
    }
    const candidates = complete(words.length === 0 ? [''] : words, this.config.commands as unknown as CompletableCommand[], services);
    if (candidates.length > 0) this.ui.streams.stdout.write(candidates.join('\n') + '\n');
  }

  /** A completion that fails completes nothing: no message in the middle of what is being typed. */
  override async catch(): Promise<void> {}
}
