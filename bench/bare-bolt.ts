// The floor for foggy serve's acknowledgements: a Bolt app on Socket Mode that acknowledges every slash
// command at once and does nothing else. Run by bench/serve.ts against the same loopback Slack.
import bolt from '@slack/bolt';

const [appToken, botToken, apiUrl] = process.argv.slice(2);
const receiver = new bolt.SocketModeReceiver({appToken, autoReconnectEnabled: false, installerOptions: {clientOptions: {slackApiUrl: apiUrl, retryConfig: {retries: 0}}}});
const app = new bolt.App({token: botToken, botId: 'B0FOGGY01', botUserId: 'U0FOGGY01', tokenVerificationEnabled: false, receiver, clientOptions: {slackApiUrl: apiUrl}, convoStore: false, logLevel: bolt.LogLevel.ERROR});
app.command(/.*/, async ({ack}) => {
  await ack();
});
await app.start();
process.stderr.write('answering\n');
process.on('SIGTERM', () => void receiver.client.disconnect().then(() => process.exit(0)));
