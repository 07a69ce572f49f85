// placeholder until the OpenAPI helper lands its file
import { Router } from 'express';
export function docsRouter(): Router {
  return Router();
}
