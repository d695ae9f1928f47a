// The staff workspace: dashboard, movements and their figures, the catalogue
// (operations, routes, legs, places, notices), history and CSV.
import { Router } from 'express';
import type { AppDeps } from '../../deps.ts';
import { asOfRouter } from './as-of.ts';
import { catalogRouter } from './catalog.ts';
import { countsRouter } from './counts.ts';
import { csvRouter } from './csv.ts';
import { dashboardRouter } from './dashboard.ts';
import { mountStaffArea } from './define.ts';
import { movementsRouter } from './movements.ts';
import { placesRouter } from './places.ts';
import { publicPageRouter } from './public-page.ts';
import { sourcesRouter } from './sources.ts';
import { evacuationRoutesRouter } from './evacuation-routes.ts';

export function workspaceRouter(deps: AppDeps): Router {
  const router = Router();
  mountStaffArea(router, '', dashboardRouter(deps));
  mountStaffArea(router, '', countsRouter(deps));
  mountStaffArea(router, '', movementsRouter(deps));
  mountStaffArea(router, '', catalogRouter(deps));
  mountStaffArea(router, '', placesRouter(deps));
  mountStaffArea(router, '', evacuationRoutesRouter(deps));
  mountStaffArea(router, '', csvRouter(deps));
  mountStaffArea(router, '', publicPageRouter(deps)); // publisher, help and contacts, coordinates
  mountStaffArea(router, '', asOfRouter(deps)); // the operation's figures as of a chosen moment
  mountStaffArea(router, '', sourcesRouter(deps)); // sources' outlet and title per language
  return router;
}
