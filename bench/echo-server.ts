// The "echo" baseline of the benchmark: a bare Fastify server that parses a JSON body and answers it back.
// What the service adds on top of this is our framework, validation, auth and database work.
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 0);
const app = Fastify({ logger: false });
app.post('/echo', async (request) => request.body);
app.get('/echo', async () => ({ ok: true }));
await app.listen({ port, host: '127.0.0.1' });
process.send?.({ port: (app.server.address() as { port: number }).port });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
