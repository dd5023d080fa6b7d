-- Gives the named singleton lease back (only if this instance still holds it).
DELETE FROM ragsync_singleton_lease
 WHERE name = :#${exchangeProperty.leaseName}
   AND holder = :#${exchangeProperty.leaseHolder}
