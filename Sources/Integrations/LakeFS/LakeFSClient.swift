// lakeFS client
