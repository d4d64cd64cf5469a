// Analysts send a dead notification to Toqio again.
import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotificationView, RedeliverNotification } from '../../application/redeliver-notification.use-case';
import { Analyst, ANALYST_BEARER_SCHEME, AnalystAuthGuard, RequiresRole } from './analyst-auth.guard';
import { NotificationDto } from './analyst.dto';
import { BODY_LIMITS } from './http-hardening';
import { ApiProblemResponses } from './openapi';
import { PathIdPipe } from './path-params';
import { GatedBy } from './request-gate';

@ApiTags('Analysts')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly redeliverNotification: RedeliverNotification) {}

  @Post(':notificationId/redeliver')
  @GatedBy(AnalystAuthGuard, { bodyLimit: BODY_LIMITS.bodiless })
  @RequiresRole('admin')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a DEAD notification to Toqio again',
    description: 'Queues it again with the same id (and so the same idempotency-key), a fresh maximum age, and the analyst recorded as who asked. 409 unless it is DEAD. Needs the admin role.',
  })
  @ApiAcceptedResponse({ type: NotificationDto })
  @ApiProblemResponses(400, 401, 404, 409)
  redeliver(@Param('notificationId', new PathIdPipe('notificationId', 64)) notificationId: string, @Analyst() analyst: string): Promise<NotificationView> {
    return this.redeliverNotification.execute(notificationId, analyst);
  }
}
