"""Load innosim result files (HDF5) into xarray/pandas and compute what planners read.

One call loads a file::

    import innosim_analysis as ia
    ds = ia.load("baseline.h5")            # xarray.Dataset, finished replications only
    ia.target_table(ds)                    # probability each target is met, with 95 % Wilson intervals

Every statistic of `innosim report` is implemented here, once.
"""
from .load import ResultFileError, check_file, edges, load, snapshots, to_frame  # noqa: F401
from .stats import wilson, newcombe_difference, target_table, quantile_bands, costs  # noqa: F401
from .stats import bootstrap_median_difference, newcombe_paired_difference, pairing  # noqa: F401
from .sensitivity import sobol_indices, morris_effects, rank_correlations, sensitivity_table  # noqa: F401
from .report import build_report  # noqa: F401
from .optimise import optimise  # noqa: F401
