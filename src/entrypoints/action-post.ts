import * as core from '@actions/core';

/**
 * GitHub Action post step. The analysis-only action changes nothing in a cluster, so there is nothing
 * to roll back yet; the release engine will use this step to clean up after a cancelled job.
 */
core.info('canary-action post step: the analysis changes nothing in the cluster; nothing to clean up.');
