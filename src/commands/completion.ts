import {Args} from '@oclif/core';
import {COMPLETION_SCRIPTS} from '../cli/completion.js';
import {FoggyCommand} from '../cli/foggy-command.js';

export default class Completion extends FoggyCommand {
  static override summary = 'Print the shell completion script (commands, flags, and service names from the catalog).';
  static override description = 'bash: add eval "$(foggy completion bash)" to ~/.bashrc. zsh: add eval "$(foggy completion zsh)" to ~/.zshrc (after compinit).';
  static override args = {
    shell: Args.string({description: 'The shell.', options: ['bash', 'zsh'], default: 'bash'}),
  };
  static override examples = ['eval "$(<%= config.bin %> completion bash)"', 'eval "$(<%= config.bin %> completion zsh)"'];

  async run(): Promise<void> {
    const {args} = await this.parse(Completion);
    this.ui.streams.stdout.write(COMPLETION_SCRIPTS[args.shell as 'bash' | 'zsh']);
  }
}
