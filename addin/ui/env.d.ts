// Vite's raw imports, for the bundled default plan.
declare module '*?raw' {
  const text: string;
  export default text;
}

declare module '*.css';
