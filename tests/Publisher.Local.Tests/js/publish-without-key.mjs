// The official Momento JS SDK, as a client on this machine that does not know the local service's key: it publishes one
// value to host:port (plaintext, momento-local credentials: no key) and prints the outcome as one JSON line.
import { CredentialProvider, TopicClient, TopicConfigurations, TopicPublishResponse } from '@gomomento/sdk';

const [host, port, cache] = process.argv.slice(2);
const client = new TopicClient({
  configuration: TopicConfigurations.Default.latest(),
  credentialProvider: CredentialProvider.forMomentoLocal({ hostname: host, port: Number(port) }),
});
const response = await client.publish(cache, 'js-sdk-probe', 'from a client without the key');
console.log(JSON.stringify(response.type === TopicPublishResponse.Error
  ? { type: 'error', code: response.errorCode() }
  : { type: String(response.type) }));
process.exit(0);
