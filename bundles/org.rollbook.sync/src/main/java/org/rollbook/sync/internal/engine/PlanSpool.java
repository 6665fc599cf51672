package org.rollbook.sync.internal.engine;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.store.PatronWrite;
import org.rollbook.api.sync.FieldChange;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Situation;

/**
 * A run's plan on disk, one file per operation: written while the roster streams in, read back in
 * batches to apply it (or kept while the run is held). Memory never holds the whole plan.
 */
final class PlanSpool {

    /** 2: writes carry their roster digest. Plans of version 1 (held runs from before) are still read. */
    private static final int VERSION = 2;

    private final Path file;

    PlanSpool(Path directory, long operationId) {
        this.file = directory.resolve(operationId + ".plan");
    }

    Path file() {
        return file;
    }

    boolean exists() {
        return Files.isRegularFile(file);
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the plan " + file, e);
        }
    }

    Writer writer() throws IOException {
        Files.createDirectories(file.getParent());
        return new Writer(new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)));
    }

    Reader reader() throws IOException {
        return new Reader(new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16)));
    }

    static final class Writer implements AutoCloseable {
        private final DataOutputStream out;
        private long items;

        private Writer(DataOutputStream out) throws IOException {
            this.out = out;
            out.writeInt(VERSION);
        }

        void add(PlanItem item) throws IOException {
            out.writeBoolean(item.write() != null);
            if (item.write() != null) {
                PatronWrite w = item.write();
                out.writeLong(w.patronId());
                str(w.type() == null ? null : w.type().name());
                str(w.policy());
                str(w.integration());
                out.writeShort(w.values().size());
                for (Map.Entry<PatronField, String> e : w.values().entrySet()) {
                    out.writeShort(e.getKey().ordinal());
                    str(e.getValue());
                }
                str(w.rosterDigest());
            }
            entry(item.entry());
            items++;
        }

        long items() {
            return items;
        }

        private void entry(LogEntry e) throws IOException {
            out.writeByte(e.situation().ordinal());
            out.writeByte(e.outcome().ordinal());
            out.writeByte(e.type().ordinal());
            str(e.site());
            str(e.sourceId());
            out.writeLong(e.patronId());
            str(e.key());
            out.writeShort(e.blankKeys().size());
            for (String k : e.blankKeys()) {
                str(k);
            }
            out.writeShort(e.candidates().size());
            for (long c : e.candidates()) {
                out.writeLong(c);
            }
            str(e.reason());
            out.writeShort(e.changes().size());
            for (FieldChange c : e.changes()) {
                out.writeShort(c.field().ordinal());
                str(c.before());
                str(c.after());
            }
        }

        private void str(String s) throws IOException {
            out.writeBoolean(s != null);
            if (s != null) {
                out.writeUTF(s);
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    static final class Reader implements AutoCloseable {
        private static final PatronField[] FIELDS = PatronField.values();
        private final DataInputStream in;
        private final int version;

        private Reader(DataInputStream in) throws IOException {
            this.in = in;
            this.version = in.readInt();
            if (version < 1 || version > VERSION) {
                throw new IOException("plan format " + version + " is not one this Rollbook reads (1 to " + VERSION + ")");
            }
        }

        /** Up to {@code max} items; empty at the end. */
        List<PlanItem> next(int max) throws IOException {
            List<PlanItem> out = new ArrayList<>(Math.min(max, 1024));
            try {
                while (out.size() < max) {
                    out.add(item());
                }
            } catch (EOFException end) {
                // the plan is read
            }
            return out;
        }

        private PlanItem item() throws IOException {
            PatronWrite write = null;
            if (in.readBoolean()) {
                long id = in.readLong();
                String type = str();
                String policy = str();
                String integration = str();
                int n = in.readShort();
                Map<PatronField, String> values = new EnumMap<>(PatronField.class);
                for (int i = 0; i < n; i++) {
                    values.put(FIELDS[in.readShort()], str());
                }
                String digest = version >= 2 ? str() : null;
                write = new PatronWrite(id, type == null ? null : PatronType.valueOf(type), policy, integration, values,
                        null, digest);
            }
            return new PlanItem(write, entry());
        }

        private LogEntry entry() throws IOException {
            Situation situation = Situation.values()[in.readByte()];
            Outcome outcome = Outcome.values()[in.readByte()];
            PatronType type = PatronType.values()[in.readByte()];
            String site = str();
            String sourceId = str();
            long patronId = in.readLong();
            String key = str();
            List<String> blank = new ArrayList<>();
            for (int i = in.readShort(); i > 0; i--) {
                blank.add(str());
            }
            List<Long> candidates = new ArrayList<>();
            for (int i = in.readShort(); i > 0; i--) {
                candidates.add(in.readLong());
            }
            String reason = str();
            List<FieldChange> changes = new ArrayList<>();
            for (int i = in.readShort(); i > 0; i--) {
                changes.add(new FieldChange(FIELDS[in.readShort()], str(), str()));
            }
            return new LogEntry(0, situation, outcome, type, site, sourceId, patronId, key, blank, candidates, reason,
                    changes);
        }

        private String str() throws IOException {
            return in.readBoolean() ? in.readUTF() : null;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
