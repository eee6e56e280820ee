export default function Console() {
  return <h1>Console</h1>;
}
