// The "echo receiver" baseline of the benchmark: what the typical open-source VietQR receiver does, and no
// more. NestJS on Express, a guard that verifies the HS512 Bearer JWT VietQR was handed, and the body
// answered back. Nothing is validated, nothing is written: what the service adds on top of this is the
// durable credit.
import 'reflect-metadata';
import {
  Body,
  CanActivate,
  Controller,
  ExecutionContext,
  HttpCode,
  Injectable,
  Module,
  Post,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { ExpressAdapter } from '@nestjs/platform-express';

export const ECHO_JWT_SECRET = process.env.ECHO_JWT_SECRET ?? 'bench-echo-receiver-secret-0123456789abcdef';

@Injectable()
class BearerGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: Record<string, string> }>()
      .headers.authorization;
    if (!header?.startsWith('Bearer ')) throw new UnauthorizedException();
    try {
      this.jwt.verify(header.slice(7));
      return true;
    } catch {
      throw new UnauthorizedException();
    }
  }
}

@Controller()
class EchoController {
  @Post('echo')
  @HttpCode(200)
  @UseGuards(BearerGuard)
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({
  imports: [
    JwtModule.register({
      secret: ECHO_JWT_SECRET,
      signOptions: { algorithm: 'HS512' },
      verifyOptions: { algorithms: ['HS512'] },
    }),
  ],
  controllers: [EchoController],
  providers: [BearerGuard],
})
class EchoModule {}

if (process.send) {
  const app = await NestFactory.create(EchoModule, new ExpressAdapter(), { logger: false });
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  const token = app.get(JwtService).sign({ sub: 'vietqr' }, { expiresIn: 3600 });
  process.send({ port: (app.getHttpServer().address() as { port: number }).port, token });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}
