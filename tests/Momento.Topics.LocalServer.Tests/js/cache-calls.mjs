// The official Momento JS SDK's cache calls (set, get, setIfAbsent, setIfNotExists, delete), unchanged, against the
// local server at host:port (plaintext, momento-local credentials). Prints what each answered as one JSON line.
import { CacheClient, Configurations, CredentialProvider } from '@gomomento/sdk';

const [host, port, cache] = process.argv.slice(2);
const client = await CacheClient.create({
  configuration: Configurations.Laptop.latest(),
  credentialProvider: CredentialProvider.forMomentoLocal({ hostname: host, port: Number(port) }),
  defaultTtlSeconds: 60,
});

const read = async (c, key) => {
  const r = await client.get(c, key);
  return r.type === 'Hit' ? r.valueString() : r.type === 'Miss' ? 'miss' : r.errorCode();
};
const kind = (r) => (r.type === 'Error' ? r.errorCode() : r.type.charAt(0).toLowerCase() + r.type.slice(1));

const set = await client.set(cache, 'js-key', 'v1');
const outcome = { set: kind(set) };
outcome.get = await read(cache, 'js-key');
outcome.getUnknown = await read(cache, 'js-never-set');
outcome.setIfAbsentFirst = kind(await client.setIfAbsent(cache, 'js-absent', 'first'));
outcome.setIfAbsentSecond = kind(await client.setIfAbsent(cache, 'js-absent', 'second'));
outcome.setIfNotExists = kind(await client.setIfNotExists(cache, 'js-key', 'other'));
outcome.afterSetIfAbsent = await read(cache, 'js-key');
outcome.delete = kind(await client.delete(cache, 'js-key'));
outcome.afterDelete = await read(cache, 'js-key');
outcome.unknownCache = await read('no-such-cache', 'js-key');
await client.set(cache, 'js-kept', 'from-js');
console.log(JSON.stringify(outcome));
client.close();
process.exit(0);
