// Express 4 is installed under an alias; its API is the part of Express 5's that these tests use.
declare module 'express4' {
  import express from 'express';
  export default express;
}
