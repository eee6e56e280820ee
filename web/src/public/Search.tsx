export const Search = () => <h1>Search</h1>;
