package org.rollbook.sync.internal.engine;

import java.util.List;

import org.rollbook.api.roster.ConnectionCheck;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.roster.RosterSchool;

/** A Clever-shaped test connector for one district: only {@code fetch} differs between tests. */
public abstract class TestConnector implements RosterConnector {

    private final String account;

    protected TestConnector(String account) {
        this.account = account;
    }

    @Override
    public String provider() {
        return "clever";
    }

    @Override
    public String account() {
        return account;
    }

    @Override
    public ConnectionCheck check() {
        return new ConnectionCheck(true, "ok");
    }

    @Override
    public List<RosterSchool> schools() {
        return List.of(new RosterSchool("school-east", "East Elementary", "101"),
                new RosterSchool("school-west", "West Middle", "102"));
    }
}
