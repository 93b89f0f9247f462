// express@4 installed under the alias "express4", so both majors run in one bench; its API for
// what the bench uses (routes, express.raw(), res.status().json()) is the one @types/express types.
declare module 'express4' {
  import express from 'express';
  export default express;
}
