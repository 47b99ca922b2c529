import { HttpError } from '@/server/http/errors';

/** Someone else's export answers as a missing one: whether it exists is not told. */
export const exportNotFound = () =>
  new HttpError(404, 'not_found', 'No export with this ID: it has expired, or it is not yours.');
