// The floor for foggy serve, run by bench/serve.ts against the same loopback Slack: a Bolt app on Socket Mode
// that acknowledges every slash command at once and, with "post", posts one message for it (the least a bot
// that answers does). Plain JavaScript, so that nothing but Bolt is loaded.
import bolt from '@slack/bolt';

const [appToken, botToken, apiUrl, mode] = process.argv.slice(2);
const receiver = new bolt.SocketModeReceiver({appToken, autoReconnectEnabled: false, installerOptions: {clientOptions: {slackApiUrl: apiUrl, retryConfig: {retries: 0}}}});
const app = new bolt.App({token: botToken, botId: 'B0FOGGY01', botUserId: 'U0FOGGY01', tokenVerificationEnabled: false, receiver, clientOptions: {slackApiUrl: apiUrl}, convoStore: false, logLevel: bolt.LogLevel.ERROR});
app.command(/.*/, async ({ack, command, client}) => {
  await ack();
  if (mode === 'post') await client.chat.postMessage({channel: command.channel_id, text: `${command.command} ${command.text}`});
});
await app.start();
process.stderr.write('answering\n');
process.on('SIGTERM', () => void receiver.client.disconnect().then(() => process.exit(0)));
