export const Organization = ({ id }: { id: string }) => <h1>{id}</h1>;
