// Operator commands: npm run cli -- api-keys create <name> [--role operator] | revoke <name> | list
import 'reflect-metadata';
import dataSource from './database/cli-data-source.js';
import { API_ROLES, ApiRole } from './modules/auth/api-keys/api-client.js';
import { generateApiKey, hashApiKey, keyHint } from './modules/auth/api-keys/api-key.js';
import { ApiClientsRepository } from './modules/auth/api-keys/api-clients.repository.js';

const USAGE =
  'usage: npm run cli -- api-keys create <name> [--role order_system|operator] | api-keys revoke <name> | api-keys list';

/** Takes `--role X` or `--role=X` out of args; order_system when absent, undefined when invalid. */
function takeRole(args: string[]): { rest: string[]; role: ApiRole | undefined } {
  const rest: string[] = [];
  let role: string = 'order_system';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--role') role = args[++i] ?? '';
    else if (args[i].startsWith('--role=')) role = args[i].slice('--role='.length);
    else rest.push(args[i]);
  }
  return { rest, role: (API_ROLES as readonly string[]).includes(role) ? (role as ApiRole) : undefined };
}

async function main(argv: string[]): Promise<number> {
  const { rest: args, role } = takeRole(argv);
  const [area, action, name] = args;
  if (area !== 'api-keys' || !['create', 'revoke', 'list'].includes(action ?? '') || !role) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (action !== 'list' && !/^[A-Za-z0-9_.-]{1,64}$/.test(name ?? '')) {
    process.stderr.write('name must be 1-64 characters of A-Z a-z 0-9 _ . -\n');
    return 2;
  }
  await dataSource.initialize();
  try {
    const clients = ApiClientsRepository.using(dataSource);
    if (action === 'create') {
      const key = generateApiKey();
      const { created } = await clients.insertIfAbsent(name, hashApiKey(key), keyHint(key), role);
      if (!created) {
        process.stderr.write(`an active key named "${name}" exists; revoke it first\n`);
        return 1;
      }
      process.stdout.write(`${role} API key for "${name}" (shown once, store it now):\n${key}\n`);
    } else if (action === 'revoke') {
      const revoked = await clients.revokeByName(name);
      process.stdout.write(
        revoked
          ? `revoked "${name}" (running instances stop accepting it within 30 s)\n`
          : `no active key named "${name}"\n`,
      );
      return revoked ? 0 : 1;
    } else {
      for (const c of await clients.listAll()) {
        process.stdout.write(
          `${c.name}\t${c.role}\t${c.keyPrefix}…\tcreated ${c.createdAt.toISOString()}\t${c.revokedAt ? `revoked ${c.revokedAt.toISOString()}` : 'active'}\n`,
        );
      }
    }
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
