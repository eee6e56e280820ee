export const Lists = () => <h1>Lists</h1>;
