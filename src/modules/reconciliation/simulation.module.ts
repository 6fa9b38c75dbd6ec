import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ReconciliationModule } from './reconciliation.module.js';
import { SimulationController } from './simulation.controller.js';

/** Sandbox only: the app module imports it outside production, so production answers 404. */
@Module({
  imports: [AuthModule, ReconciliationModule],
  controllers: [SimulationController],
})
export class SimulationModule {}
