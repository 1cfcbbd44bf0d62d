"""Archive audits: article records (JSON Lines, Parquet, Dask collections) through the engine.

=====================  ====================================================
``records``            reading records and cutting an archive into partitions
``parquet``            Parquet archives (pyarrow; loaded only for ``--input parquet``)
``run``                the run: map (check), reduce (names), second map, report
``cluster``            the same run on Dask (``--executor dask``, ``--scheduler``)
``frames``             the Python API: ``check_bag``, ``findings_frame`` on Dask collections
``command``            the command-line options (``mtlint check/names --input``)
=====================  ====================================================

The user's guide is ``docs/archive.md``.  Dask, distributed and pyarrow
are the ``dask`` extra: ``pip install 'mtlint[dask]'``.
"""

#: records per partition unless told otherwise (about a second or two of checking); here, not in
#: ``records``, so that ``mtlint check``'s options name it without importing the record machinery
DEFAULT_PARTITION = 200
