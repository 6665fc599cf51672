package org.rollbook.sync.internal.service;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Rollbook sync", description = "What the sync engine syncs, how it matches, when it holds, when it runs.")
public @interface SyncConfiguration {

    @AttributeDefinition(name = "Record types", description = "Which record types to sync: student, teacher, staff, district_admin.")
    String[] types() default {"student", "teacher", "staff", "district_admin"};

    @AttributeDefinition(name = "Student policy", description = "Policy of new student patrons.")
    String studentPolicy() default "Student";

    @AttributeDefinition(name = "Teacher policy")
    String teacherPolicy() default "Teacher";

    @AttributeDefinition(name = "Staff policy")
    String staffPolicy() default "Staff";

    @AttributeDefinition(name = "District admin policy")
    String districtAdminPolicy() default "Staff";

    @AttributeDefinition(name = "Barcode sources", description = "Per type, separated by ;, e.g. student=student_number;teacher=sis_id;"
            + "staff=staff_id (Clever) or student=userIds:studentNumber (ClassLink). Unmapped types are neither written nor matched.")
    String[] barcode() default {};

    @AttributeDefinition(name = "Community ID sources", description = "Per type, same choices as the barcode.")
    String[] communityId() default {};

    @AttributeDefinition(name = "Location sources", description = "Per type: code, location or teacher (ClassLink homeroom).")
    String[] location() default {};

    @AttributeDefinition(name = "Erasable fields", description = "Per type, separated by ;, the fields a blank roster value erases, e.g. student=middleName,phone;teacher=phone.")
    String[] erasable() default {};

    @AttributeDefinition(name = "Default site", description = "Site code for records without a school (district admins).")
    String defaultSite() default "";

    @AttributeDefinition(name = "Hold creates over", description = "Hold a run creating more than this: a count (500) or a share of the patrons (25%). Empty: never.")
    String holdCreates() default "";

    @AttributeDefinition(name = "Hold transfers over", description = "Hold a run marking more than this Transferred: a count or a share. Empty: never.")
    String holdTransfers() default "10%";

    @AttributeDefinition(name = "Hold minimum", description = "Per-site and per-type shares count from this many changes on.")
    int holdMinimum() default 20;

    @AttributeDefinition(name = "Batch size", description = "Records per batch; each batch is one transaction.")
    int batchSize() default 1000;

    @AttributeDefinition(name = "Barcode sequence start", description = "New patrons without a mapped barcode get the next number from here; 0: no barcode.")
    long barcodeStart() default 0;

    @AttributeDefinition(name = "Barcode sequence prefix")
    String barcodePrefix() default "";

    @AttributeDefinition(name = "Daily Operations time", description = "HH:mm, server local time; empty: no daily run.")
    String dailyTime() default "";

    @AttributeDefinition(name = "Full sync every (days)", description = "Daily Operations run a full sync when the last one is this old; incremental otherwise.")
    int fullSyncEveryDays() default 7;

    @AttributeDefinition(name = "Keep operations (days)", description = "Finished operations and their logs older than this are deleted.")
    int retentionDays() default 90;

    @AttributeDefinition(name = "Community ID name", description = "What the library calls the Community ID field (shown in the console and logs).")
    String communityIdName() default "Community ID";
}
