export const ListPage = ({ code }: { code: string }) => <h1>{code}</h1>;
