// Metadata API scenarios for drive.js (test_metadata_jsforce.py): only jsforce's public conn.metadata API
// (list, read, deploy(...).complete(true), retrieve(...).complete()) and sobject().create over REST.
'use strict';

module.exports = {
  async metadataList(conn, { queries }) {
    return conn.metadata.list(queries);
  },

  async metadataRead(conn, { type, fullNames }) {
    return conn.metadata.read(type, fullNames);
  },

  // zip: the package as base64 (built by the test); then: a Lead to create over REST right after the deploy.
  async metadataDeploy(conn, { zip, options, then }) {
    conn.metadata.pollInterval = 200;
    const result = await conn.metadata.deploy(zip, options || {}).complete(true);
    const created = then ? await conn.sobject('Lead').create(then) : null;
    const lead = created ? await conn.sobject('Lead').retrieve(created.id) : null;
    return { result, created, lead };
  },

  async metadataRetrieve(conn, { request }) {
    conn.metadata.pollInterval = 200;
    return conn.metadata.retrieve(request).complete();
  },
};
