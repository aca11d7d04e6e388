// The JSON API v1 end to end: a coordinator with a personal API token starts a round,
// participants answer with their invitation tokens, the results and the action agenda
// come back as JSON; errors are application/problem+json in Dutch; tenants are isolated.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, gids, COORD_A, COORD_B } from './lib/server.mjs';

let server;
let tokenA;
let tokenB;

async function api(method, path, { token, invitation, body } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (invitation) headers.Authorization = `Invitation ${invitation}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(server.url + path, {
    method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, type: res.headers.get('content-type') || '', json, text };
}

function assertProblem(res, status, what) {
  assert.equal(res.status, status, `${what}: status`);
  assert.match(res.type, /^application\/problem\+json/, `${what}: problem+json`);
  assert.equal(res.json.status, status, `${what}: status in the body`);
  assert.ok(res.json.title, `${what}: a title`);
}

before(async () => {
  server = await startServer();
  tokenA = gids(['token', 'create', '--db', server.db, '--email', COORD_A.email]).stdout.trim();
  tokenB = gids(['token', 'create', '--db', server.db, '--email', COORD_B.email]).stdout.trim();
  assert.match(tokenA, /^gids_/, 'gids token create prints a token');
});
after(async () => { await server?.stop(); });

describe('the JSON API', () => {
  let round;

  it('serves its OpenAPI document', async () => {
    const res = await api('GET', '/api/v1/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.json.openapi, '3.0.3');
    assert.ok(res.json.paths['/assessments'], 'documents /assessments');
  });

  it('refuses requests without a valid token, in Dutch', async () => {
    assertProblem(await api('GET', '/api/v1/instruments'), 401, 'no token');
    assertProblem(await api('GET', '/api/v1/instruments', { token: 'gids_wrong' }), 401, 'wrong token');
    const res = await api('GET', '/api/v1/instruments', { token: 'gids_wrong' });
    assert.match(res.json.detail, /API-sleutel/, 'the reason names the API key');
  });

  it('lists the instruments', async () => {
    const res = await api('GET', '/api/v1/instruments', { token: tokenA });
    assert.equal(res.status, 200);
    const ids = res.json.instruments.map((i) => i.id);
    for (const id of ['gesprekstool-armoede-gezondheid', 'inclusief-opdrachtgeverschap', 'vijf-sporen']) {
      assert.ok(ids.includes(id), `instrument ${id}`);
    }
  });

  it('starts a round and gives out the invitations once', async () => {
    const res = await api('POST', '/api/v1/assessments', {
      token: tokenA,
      body: { instrument: 'gesprekstool-armoede-gezondheid', title: 'API-ronde', mode: 'meeting', participants: [{ label: 'Armoede' }, { label: 'GGD' }] },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.invitations.length, 2);
    assert.match(res.json.invitations[0].url, /\/i\/[A-Za-z0-9_-]{22}$/);
    round = res.json;
    const again = await api('GET', `/api/v1/assessments/${round.id}`, { token: tokenA });
    assert.equal(again.status, 200);
    assert.equal(again.json.title, 'API-ronde');
    assert.equal(again.json.invitations, undefined, 'invitations are not given out again');
  });

  it('refuses a bad round with the reasons per field', async () => {
    const res = await api('POST', '/api/v1/assessments', {
      token: tokenA, body: { instrument: 'bestaat-niet', title: '', mode: 'samen', participants: [] },
    });
    assertProblem(res, 422, 'bad round');
    const names = res.json.invalidParams.map((p) => p.name).sort();
    assert.deepEqual(names, ['instrument', 'labels', 'mode', 'title']);
    assertProblem(await api('POST', '/api/v1/assessments', { token: tokenA, body: '{"kapot' }), 422, 'broken JSON');
  });

  it('takes answers by invitation, with the same validation as the forms', async () => {
    const [armoede, ggd] = round.invitations.map((i) => i.token);
    let res = await api('PUT', '/api/v1/participation/answers/stelling-a', { invitation: armoede, body: { value: 2 } });
    assert.equal(res.status, 200, res.text);
    res = await api('PUT', '/api/v1/participation/answers/stelling-a', { invitation: ggd, body: { value: 5 } });
    assert.equal(res.status, 200, res.text);
    res = await api('PUT', '/api/v1/participation/answers/stelling-b', { invitation: ggd, body: { value: 'dont_know' } });
    assert.equal(res.status, 200, res.text);
    res = await api('PUT', '/api/v1/participation/answers/stelling-a', { invitation: armoede, body: { value: 9 } });
    assertProblem(res, 422, 'score 9');
    assert.match(res.json.detail, /1 tot 5/);
    res = await api('PUT', '/api/v1/participation/answers/vraag-5', { invitation: armoede, body: { value: { options: ['nee'] } } });
    assertProblem(res, 422, '"Nee, want" without a reason');
    res = await api('PUT', '/api/v1/participation/answers/vraag-5', { invitation: armoede, body: { value: { options: ['nee'], other: { nee: 'geen budget' } } } });
    assert.equal(res.status, 200, res.text);
    res = await api('PUT', '/api/v1/participation/answers/bestaat-niet', { invitation: armoede, body: { value: 1 } });
    assertProblem(res, 404, 'unknown item');
    res = await api('PUT', '/api/v1/participation/answers/stelling-a', { invitation: 'verkeerd-token-verkeerd', body: { value: 1 } });
    assertProblem(res, 401, 'wrong invitation');
    const mine = await api('GET', '/api/v1/participation', { invitation: armoede });
    assert.equal(mine.json.answers['stelling-a'], 2, 'the refused 9 did not overwrite the 2');
    assert.equal(mine.json.answers['stelling-b'], undefined, 'a participant sees only their own answers');
    for (const t of [armoede, ggd]) {
      res = await api('POST', '/api/v1/participation/submit', { invitation: t });
      assert.equal(res.status, 200);
    }
  });

  it('gives the results: distribution, theme means, values per participant, observations', async () => {
    const res = await api('GET', `/api/v1/assessments/${round.id}/results`, { token: tokenA });
    assert.equal(res.status, 200, res.text);
    const a = res.json.items.find((i) => i.itemId === 'stelling-a');
    assert.deepEqual(a.distribution, { 1: 0, 2: 1, 3: 0, 4: 0, 5: 1 });
    assert.equal(a.mean, 3.5);
    assert.equal(a.differs, true, 'scores 2 and 5 differ by 2 or more');
    assert.deepEqual(a.values.map((v) => [v.label, v.value]), [['Armoede', 2], ['GGD', 5]]);
    const b = res.json.items.find((i) => i.itemId === 'stelling-b');
    assert.equal(b.dontKnow, 1);
    assert.ok(res.json.themes.find((t) => t.themeId === 'A').mean === 3.5);
    assert.ok(res.json.observations.some((o) => /stelling A/.test(o.text)), 'an observation on statement A');
    // A participant's invitation cannot read results.
    const byParticipant = await api('GET', `/api/v1/assessments/${round.id}/results`, { invitation: round.invitations[0].token });
    assert.equal(byParticipant.status, 401);
  });

  it('keeps the action agenda', async () => {
    let res = await api('POST', `/api/v1/assessments/${round.id}/actions`, {
      token: tokenA, body: { theme: 'A', description: 'Visie opstellen', owner: 'Armoede', due: '2027-06-30' },
    });
    assert.equal(res.status, 201, res.text);
    const id = res.json.id;
    res = await api('PATCH', `/api/v1/assessments/${round.id}/actions/${id}`, { token: tokenA, body: { status: 'bezig' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'bezig');
    assert.equal(res.json.description, 'Visie opstellen', 'fields not sent stay as they were');
    assertProblem(await api('PATCH', `/api/v1/assessments/${round.id}/actions/${id}`, { token: tokenA, body: { status: 'klaar' } }), 422, 'unknown status');
    assertProblem(await api('POST', `/api/v1/assessments/${round.id}/actions`, { token: tokenA, body: { description: '' } }), 422, 'empty action');
    res = await api('GET', `/api/v1/assessments/${round.id}/actions`, { token: tokenA });
    assert.equal(res.json.actions.length, 1);
  });

  it('keeps municipalities apart', async () => {
    for (const [method, path] of [['GET', `/api/v1/assessments/${round.id}`], ['GET', `/api/v1/assessments/${round.id}/results`],
      ['GET', `/api/v1/assessments/${round.id}/actions`], ['POST', `/api/v1/assessments/${round.id}/close`]]) {
      assertProblem(await api(method, path, { token: tokenB }), 404, `coordinator B: ${method} ${path}`);
    }
    const still = await api('GET', `/api/v1/assessments/${round.id}`, { token: tokenA });
    assert.equal(still.json.status, 'open', 'B could not close A\'s round');
  });

  it('closes a round; answers are then refused', async () => {
    const res = await api('POST', `/api/v1/assessments/${round.id}/close`, { token: tokenA });
    assert.equal(res.json.status, 'gesloten');
    assertProblem(await api('PUT', '/api/v1/participation/answers/stelling-c', { invitation: round.invitations[0].token, body: { value: 3 } }), 409, 'answer after closing');
  });
});
