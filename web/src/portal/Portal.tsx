export default function Portal() {
  return <h1>My file</h1>;
}
