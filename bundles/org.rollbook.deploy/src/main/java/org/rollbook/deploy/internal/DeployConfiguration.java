package org.rollbook.deploy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Rollbook connector deployment",
        description = "Connector bundles installed, updated and removed while the server runs: uploads and the deploy folder.")
public @interface DeployConfiguration {

    @AttributeDefinition(name = "Deploy folder", description = "Watched for connector jars; relative to the server's working"
            + " directory (run/ for ./run/rollbook); a folder that does not exist yet is picked up once it is created. Empty: no"
            + " folder is watched.")
    String directory() default "deploy";

    @AttributeDefinition(name = "Poll interval", description = "Seconds between looks at the deploy folder. A jar is installed"
            + " once its size and time stayed the same from one look to the next.")
    int pollSeconds() default 2;

    @AttributeDefinition(name = "Size limit", description = "The largest connector jar accepted, in MB.")
    int maxSizeMb() default 50;

    @AttributeDefinition(name = "Connector copies", description = "Where a copy of every deployed connector jar is kept (relative"
            + " to the working directory): uploaded connectors are installed again from it after a restart, and a failed"
            + " update goes back to it.")
    String storage() default "data/connectors";
}
