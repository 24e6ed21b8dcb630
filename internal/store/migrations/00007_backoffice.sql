-- +goose Up
-- The back office and the service guide (办事指南): where a hall is, what a service is and who
-- may apply, its fees and legal basis, who issues each material; halls, windows and priority
-- classes may be retired (active = 0) and are never deleted, since tickets and the audit log
-- name them. finder_nodes is the guided finder (智能导办) of a hall: a tree whose question
-- nodes lead by their answers to further nodes or to a service.
ALTER TABLE halls ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE halls ADD COLUMN address_en TEXT NOT NULL DEFAULT '';
ALTER TABLE halls ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE halls ADD COLUMN hours_note TEXT NOT NULL DEFAULT '';
ALTER TABLE halls ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

ALTER TABLE services ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN conditions TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN fees TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN legal_basis TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN place_note TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN keywords TEXT NOT NULL DEFAULT '';

ALTER TABLE materials ADD COLUMN issuer TEXT NOT NULL DEFAULT '';

ALTER TABLE windows ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE priority_classes ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

-- parent 0 is the root's level; a node with service_id set ends the walk at that service.
-- label is the answer that leads to the node, question what the node asks next.
CREATE TABLE finder_nodes (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    parent_id        BIGINT NOT NULL DEFAULT 0,
    position         INTEGER NOT NULL DEFAULT 0,
    label            TEXT NOT NULL,
    question         TEXT NOT NULL DEFAULT '',
    service_id       BIGINT REFERENCES services(id)
);
CREATE INDEX finder_nodes_hall ON finder_nodes (hall_id, parent_id, position);
